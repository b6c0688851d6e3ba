import type { HttpEvent, HttpRequest } from '@angular/common/http';
import { HttpEventType, HttpXhrBackend, provideHttpClient, withFetch } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { UploadView } from '@chat/shared-dto';
import { Subject } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { UploadApi } from './upload.api';

describe('UploadApi', () => {
  let requests: HttpRequest<unknown>[];
  let events: Subject<HttpEvent<unknown>>;
  const expire = jest.fn();

  beforeEach(() => {
    requests = [];
    events = new Subject();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withFetch()),
        {
          provide: HttpXhrBackend,
          useValue: {
            handle: (req: HttpRequest<unknown>) => {
              requests.push(req);
              return events;
            },
          },
        },
        { provide: AuthStore, useValue: { token: () => 'tok', expire } },
      ],
    });
  });

  it('uploads over XHR (fetch reports no upload progress) with the token, passing progress on', () => {
    const seen: HttpEvent<UploadView>[] = [];
    TestBed.inject(UploadApi)
      .upload(new File(['x'], 'a.png', { type: 'image/png' }))
      .subscribe((event) => seen.push(event));
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe('/api/upload');
    expect(requests[0].reportProgress).toBe(true);
    expect(requests[0].headers.get('Authorization')).toBe('Bearer tok');
    events.next({ type: HttpEventType.UploadProgress, loaded: 50, total: 100 });
    expect(seen).toEqual([{ type: HttpEventType.UploadProgress, loaded: 50, total: 100 }]);
  });
});
